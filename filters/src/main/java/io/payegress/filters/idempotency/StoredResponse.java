package io.payegress.filters.idempotency;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The final response a merchant saw for a {@code use_request_no}: status, the headers worth replaying (in order) and
 * the body bytes. It serializes to a compact, binary-safe, length-prefixed form so any body bytes survive storage.
 */
public record StoredResponse(int status, List<Header> headers, byte[] body) {

    private static final int FORMAT = 1;

    /** One replayed header; names keep the case the merchant saw. */
    public record Header(String name, String value) {}

    public StoredResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
        headers = List.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Version byte, status, header count, then length-prefixed UTF-8 names and values, then the body. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 64 * headers.size() + 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeShort(status);
            out.writeShort(headers.size());
            for (Header header : headers) {
                writeText(out, header.name());
                writeText(out, header.value());
            }
            out.writeInt(body.length);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #encode()} wrote; fails on any other bytes. */
    public static StoredResponse decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown stored response format " + format);
            }
            int status = in.readUnsignedShort();
            Header[] headers = new Header[in.readUnsignedShort()];
            for (int i = 0; i < headers.length; i++) {
                headers[i] = new Header(readText(in), readText(in));
            }
            byte[] body = readExactly(in, in.readInt());
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing bytes after stored response");
            }
            return new StoredResponse(status, List.of(headers), body);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated stored response", e);
        }
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in) throws IOException {
        return new String(readExactly(in, in.readInt()), StandardCharsets.UTF_8);
    }

    private static byte[] readExactly(DataInputStream in, int length) throws IOException {
        if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException("stored response field length " + length + " exceeds the data");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredResponse that
                && status == that.status
                && headers.equals(that.headers)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "StoredResponse[status=" + status + ", headers=" + headers + ", body=" + body.length + " bytes]";
    }
}
