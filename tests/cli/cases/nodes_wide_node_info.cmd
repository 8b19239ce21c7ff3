get nodes -o wide -f node-info.yaml
