"""What the documents screens, registers and panels read. Each part adds
its functions under a comment naming it."""
