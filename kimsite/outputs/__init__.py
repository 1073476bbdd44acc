"""The Output contract (what a planner promises, what a renderer makes) and the template environment."""
