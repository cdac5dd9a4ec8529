"""The manifest schema: which one judges, the bundled files, checkouts of
LaunchDarkly's repository, comparison and export."""
