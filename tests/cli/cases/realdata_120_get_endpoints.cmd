get endpoints -n test -f realdata/cilium-nodeport-k8s1.20.yaml
