package com.acme.notes;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Model;
import com.anthropic.models.messages.StopReason;
import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import io.micrometer.observation.annotation.Observed;
import java.time.Duration;
import java.util.List;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.stereotype.Service;

/**
 * Meeting notes from OpenAI (through Spring AI) behind a circuit breaker; when OpenAI fails the
 * breaker's fallback asks Claude. Both requests are bounded, a cut-off answer is refused, and the
 * notes are read into a typed record.
 */
@Service
public class NotesService {

    public record Notes(List<String> bullets, List<String> owners) {}

    private final ChatClient chatClient;

    private final AnthropicClient claude = AnthropicOkHttpClient.builder()
            .fromEnv()
            .timeout(Duration.ofSeconds(30))
            .build();

    public NotesService(ChatClient.Builder builder) {
        this.chatClient = builder.build();
    }

    @Observed(name = "notes.openai")
    @CircuitBreaker(name = "openai", fallbackMethod = "notesFromClaude")
    public Notes notes(String transcript) {
        return chatClient.prompt()
                .system("Summarise the meeting: bullets and owners, as JSON.")
                .user(transcript)
                .call()
                .entity(Notes.class);
    }

    Notes notesFromClaude(String transcript, Throwable cause) {
        Message message = claude.messages().create(MessageCreateParams.builder()
                .model(Model.CLAUDE_3_5_HAIKU_LATEST)
                .maxTokens(1024)
                .addUserMessage("Summarise the meeting as bullet points:\n" + transcript)
                .build());
        if (message.stopReason().orElse(null) == StopReason.MAX_TOKENS) {
            throw new IllegalStateException("notes were cut off at max_tokens");
        }
        String text = message.content().get(0).text().map(t -> t.text()).orElse("");
        return new Notes(List.of(text.split("\n")), List.of());
    }
}
