"""Sessions: the stacks of environments a runtime enters for each step (including environment
templates given with `--env`), parameter merging across templates, and `openjd-lint expand`, which
computes the actions of a session without starting any process."""
