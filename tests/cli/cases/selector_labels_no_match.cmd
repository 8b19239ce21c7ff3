selector --labels app=web 'app!=web'
