# Sphinx with MyST Markdown; embed.js on every page.
project = "Async lessons"
extensions = ["myst_parser"]
html_js_files = [("https://example.org/playground/embed.js", {"defer": "defer"})]
# No Pygments lexer is called async-playground: say nothing about it.
suppress_warnings = ["misc.highlighting_failure"]
