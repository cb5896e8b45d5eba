"""Types and rules every stage shares: located errors, editions, keys."""
