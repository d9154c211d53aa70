module example.com/reviewbot

go 1.22

require (
	github.com/anthropics/anthropic-sdk-go v1.4.0
	github.com/openai/openai-go v1.8.0
)
