package dev.lethe.ledger.domain;

import java.util.List;

/**
 * A request a privacy portal filed in OpenDSR form: its {@code subject_request_id}, the
 * {@code controller_id} and {@code expected_completion_time} Lethe answered it with, and its {@code status_callback_urls} (checked
 * against the allow-list when filed), which Lethe calls back signed when the request's OpenDSR
 * status changes. Holds no subject identifier.
 */
public record Portal(String subjectRequestId, String controllerId, String expectedCompletion,
                     List<String> callbackUrls) {

    public Portal {
        callbackUrls = List.copyOf(callbackUrls);
    }
}
