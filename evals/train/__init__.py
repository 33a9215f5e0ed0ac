"""Trainers of the offline models: the intent router's head (:mod:`.router`, ``dialoggen bench
train-router``) and the rewriter's learned edit classifier (:mod:`.rewrite_classifier`)."""
