"""The template seen as a program: which strings are format strings or `let` bindings, and which
symbols each of them can see."""
