"""The thin adapter between the toolbox's pipeline (scripts/pipeline/) and MkDocs or ProperDocs: one plugin,
`toolbox` (plugin.ToolboxPlugin), registered as an entry point in pyproject.toml."""
