// reviewbot, hardened: Claude first, OpenAI when Claude fails, a request timeout on both
// clients, and a truncated answer (max_tokens / length) treated as a failure.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	anthropicopt "github.com/anthropics/anthropic-sdk-go/option"
	"github.com/openai/openai-go"
	"github.com/openai/openai-go/option"
)

var errTruncated = errors.New("the model stopped before finishing")

type Reviewer struct {
	claude anthropic.Client
	gpt    openai.Client
}

func NewReviewer() *Reviewer {
	return &Reviewer{
		claude: anthropic.NewClient(anthropicopt.WithRequestTimeout(30 * time.Second)),
		gpt:    openai.NewClient(option.WithRequestTimeout(30 * time.Second)),
	}
}

func (r *Reviewer) Summarize(ctx context.Context, diff string) (string, error) {
	msg, err := r.claude.Messages.New(ctx, anthropic.MessageNewParams{
		Model:     anthropic.ModelClaudeSonnet4_5,
		MaxTokens: 1024,
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(diff))},
	})
	if err != nil {
		return r.summarizeWithOpenAI(ctx, diff)
	}
	if msg.StopReason == "max_tokens" {
		return "", errTruncated
	}
	return msg.Content[0].Text, nil
}

func (r *Reviewer) summarizeWithOpenAI(ctx context.Context, diff string) (string, error) {
	resp, err := r.gpt.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model:    openai.ChatModelGPT4oMini,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(diff)},
	})
	if err != nil {
		return "", fmt.Errorf("both providers failed: %w", err)
	}
	if resp.Choices[0].FinishReason == "length" {
		return "", errTruncated
	}
	return resp.Choices[0].Message.Content, nil
}

func main() {
	diff, _ := io.ReadAll(os.Stdin)
	summary, err := NewReviewer().Summarize(context.Background(), string(diff))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(summary)
}
