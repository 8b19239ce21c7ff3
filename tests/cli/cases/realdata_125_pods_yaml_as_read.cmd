get pods -n test -o yaml -f realdata/cilium-nodeport-k8s1.25.yaml
