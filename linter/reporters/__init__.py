"""Output formats. Each module renders a finished run (`openjd_lint.run.RunResult`) as text."""
