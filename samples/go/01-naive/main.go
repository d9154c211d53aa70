// reviewbot: summarises a pull request's diff with one OpenAI call. Naive on purpose: one
// provider, no timeout on the context, no check that the answer finished, no fallback.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	openai "github.com/sashabaranov/go-openai"
)

func summarize(ctx context.Context, client *openai.Client, diff string) (string, error) {
	resp, err := client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: "Summarise this diff for a reviewer."},
			{Role: openai.ChatMessageRoleUser, Content: diff},
		},
	})
	if err != nil {
		return "", err
	}
	return resp.Choices[0].Message.Content, nil
}

func main() {
	client := openai.NewClient(os.Getenv("OPENAI_API_KEY"))
	diff, _ := io.ReadAll(os.Stdin)
	summary, err := summarize(context.Background(), client, string(diff))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(summary)
}
