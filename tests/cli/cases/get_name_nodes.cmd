get nodes -o name -f nodes.yaml
