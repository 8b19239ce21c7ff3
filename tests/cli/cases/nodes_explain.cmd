explain service api -n prod -f nodes.yaml
