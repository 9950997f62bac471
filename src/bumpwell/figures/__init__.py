"""Animated line drawings of a pregnant figure doing each exercise, generated from keyframes in the content."""
