"""Moving found secrets into AWS: the stores (SSM Parameter Store, Secrets Manager) behind one
narrow interface, run-time resolution of references, and least-privilege IAM policies.

Nothing here imports boto3 at module load; the stores import it when first opened.
"""
