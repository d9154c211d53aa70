package com.acme.notes;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.stereotype.Service;

/** Turns a meeting transcript into notes with one call to the configured OpenAI model. */
@Service
public class NotesService {

    private final ChatClient chatClient;

    public NotesService(ChatClient.Builder builder) {
        this.chatClient = builder.build();
    }

    public String notes(String transcript) {
        return chatClient.prompt()
                .system("Summarise the meeting as bullet points with owners and due dates.")
                .user(transcript)
                .call()
                .content();
    }
}
