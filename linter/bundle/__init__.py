"""Deadline Cloud job bundles (job-bundles.md): a directory holding `template.yaml|json` with a job template,
optionally `parameter_values.yaml|json` and `asset_references.yaml|json`, and whatever files the job uses.

`layout` finds the files as the client does, `model` loads them, `stage` checks a bundle with the B rules
(`openjd_lint.rules.bundles`) and `submission` computes the values the client would submit.
"""
