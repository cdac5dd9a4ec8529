"""The check stage: one checker per file kind (manifest, replay case, problem
sample) that turns a loaded document into findings."""
