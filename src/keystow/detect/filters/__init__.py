"""False-positive filters: small pure predicates with telling names."""
