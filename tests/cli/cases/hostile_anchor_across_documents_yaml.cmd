get pods -f hostile/anchor-across-documents.yaml
