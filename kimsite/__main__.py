from kimsite.program import run

run()
