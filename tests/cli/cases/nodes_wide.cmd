get nodes -o wide -f nodes.yaml
