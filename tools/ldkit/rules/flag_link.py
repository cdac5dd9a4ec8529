"""Rules for the flagLink capability (LD308, LD309): its UI strings render in
strict Handlebars with the context LaunchDarkly's validator builds, which needs
`metadata`."""

from __future__ import annotations

from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.rules._render import render_error, where
from ldkit.rules._support import js_truthy, value_at
from ldkit.rules.base import Rule, RuleContext


def _flag_link_strings(flag_link: dict[str, object]) -> Iterator[tuple[str, str]]:
    """(pointer, text) of every string upstream renders, in upstream's order."""
    blocks = flag_link.get("uiBlocks")
    if not isinstance(blocks, dict):
        return
    base = "/capabilities/flagLink/uiBlocks"
    image = blocks.get("image")
    if js_truthy(image) and isinstance(image, dict):
        yield f"{base}/image/sourceUrl", image.get("sourceUrl")  # type: ignore[misc]
    for section in ("title", "context"):
        block = blocks.get(section)
        if not (js_truthy(block) and isinstance(block, dict)):
            continue
        elements = block.get("elements")
        if not isinstance(elements, list):
            continue
        for index, element in enumerate(elements):
            if not isinstance(element, dict):
                continue
            yield f"{base}/{section}/elements/{index}/text", element.get("text")  # type: ignore[misc]
            if js_truthy(element.get("url")):
                yield f"{base}/{section}/elements/{index}/url", element.get("url")  # type: ignore[misc]
    for key in ("name", "description"):
        if js_truthy(blocks.get(key)):
            yield f"{base}/{key}", blocks.get(key)  # type: ignore[misc]


class FlagLinkBlocksRender(Rule):
    id = "LD308"
    severity = Severity.ERROR
    title = "flagLink UI block does not render"
    upstream = True
    explanation = (
        "LaunchDarkly's validator renders the flagLink UI strings (image source, title and "
        "context elements with their URLs, name, description) in strict Handlebars with "
        "`deepLink` and `metadata.<key>` for each declared metadata key. Anything else, or "
        "a syntax error, rejects the manifest."
    )
    bad_example = '"name": "{{metadata.ticketTitle}}"  (with no "ticketTitle" in metadata)'
    good_example = '"name": "{{metadata.title}}"  (with "metadata": {"title": {"type": "string"}})'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        flag_link = value_at(ctx.manifest, "capabilities", "flagLink")
        if not (isinstance(flag_link, dict) and js_truthy(flag_link)):
            return
        if flag_link.get("metadata") is None:
            return  # LD309 reports it; upstream crashes before rendering anything.
        from ldkit.audit_log.contexts import flag_link_context

        context = flag_link_context(flag_link)
        for pointer, text in _flag_link_strings(flag_link):
            if not isinstance(text, str):
                continue
            error = render_error(text, context)
            if error is not None:
                yield self.finding_in_string(
                    ctx,
                    pointer,
                    error.offset,  # type: ignore[attr-defined]
                    f"This flagLink string does not render ({where(error)} of the string): "
                    f"{error.message}. Only `deepLink` and `metadata.<key>` for keys declared "  # type: ignore[attr-defined]
                    "in `flagLink.metadata` are available.",
                )


class FlagLinkMetadataRequired(Rule):
    id = "LD309"
    severity = Severity.ERROR
    title = "flagLink has no metadata"
    upstream = True
    explanation = (
        "The schema makes `flagLink.metadata` optional, but LaunchDarkly's validator reads it "
        "to build the render context and crashes when it is missing, which rejects the "
        'manifest. Declare it, even as `"metadata": {}`.'
    )
    bad_example = '"flagLink": {"header": "Links", "uiBlocks": {...}, "emptyState": {...}}'
    good_example = '"flagLink": {"header": "Links", "metadata": {}, "uiBlocks": {...}, ...}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        flag_link = value_at(ctx.manifest, "capabilities", "flagLink")
        if (
            isinstance(flag_link, dict)
            and js_truthy(flag_link)
            and flag_link.get("metadata") is None
        ):
            yield self.finding(
                ctx,
                "/capabilities/flagLink",
                "`flagLink` has no `metadata`; LaunchDarkly's validator crashes on it and "
                'rejects the manifest. Add `"metadata": {}` (or the keys your UI blocks use).',
            )
