get pods -A -f hostile/billion-laughs.yaml
