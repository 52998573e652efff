"""The kit's graders: grade submissions to the assignments declared in graders/assignments/."""
