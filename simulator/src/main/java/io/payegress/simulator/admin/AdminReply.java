package io.payegress.simulator.admin;

/** An admin API answer: HTTP status and a JSON body. */
public record AdminReply(int status, byte[] body) {}
