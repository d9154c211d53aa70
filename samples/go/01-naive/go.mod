module example.com/reviewbot

go 1.22

require github.com/sashabaranov/go-openai v1.40.0
