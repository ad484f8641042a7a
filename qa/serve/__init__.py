"""`qa serve`: the review app over the store (Starlette, server-rendered, offline)."""
