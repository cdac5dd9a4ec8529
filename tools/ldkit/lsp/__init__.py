"""`ldkit lsp`: ldkit's findings, explanations, completions and formatting in any editor.

A Language Server Protocol server (the `lsp` extra: pygls and lsprotocol) that
runs the pipeline `ldkit validate` runs, on the editor's unsaved text laid over
the files on disk, and publishes the same findings as diagnostics. Nothing else
in ldkit imports this package; `ldkit.commands.lsp` starts it.

Modules: `positions` (ldkit's 1-based code-point positions to LSP's UTF-16
ones), `cursor` (where in a JSON document the cursor is, tolerant of the
half-typed text an editor holds), `diagnose` (which files to check after an
edit, kept per checked file), `explain` (hover), `complete` (completion),
`fixes` (code actions), `server` (the protocol, debouncing, publishing).
"""
