get pods
