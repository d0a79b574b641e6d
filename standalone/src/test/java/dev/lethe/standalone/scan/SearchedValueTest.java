package dev.lethe.standalone.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** Each byte form of a value is found where a real encoder put it, inside longer bytes. */
class SearchedValueTest {

    private static final String EMAIL = "Kim.Lee+\"é\"/x@Example.com";
    private static final SearchedValue VALUE = SearchedValue.of(1, EMAIL);

    @Test
    void shouldFindTheValueInBase64AtEveryAlignmentStandardAndUrlSafe() {
        for (String before : List.of("", "a", "ab", "abc", "{\"subject\":\"")) {
            final byte[] plain = (before + EMAIL + "\",\"tail\":1}").getBytes(StandardCharsets.UTF_8);
            // where the text has no + / - or _, the standard and URL-safe forms are the same bytes, named base64
            assertEquals(List.of("base64"), encodingsIn(Base64.getEncoder().encode(plain)), before);
            final List<String> url = encodingsIn(Base64.getUrlEncoder().encode(plain));
            assertTrue(url.equals(List.of("base64url")) || url.equals(List.of("base64")), before + ": " + url);
        }
    }

    @Test
    void shouldFindTheValueInBase64OfItsLowerCaseForm() {
        final byte[] lower = Base64.getEncoder().encode(("x" + EMAIL.toLowerCase()).getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("base64"), encodingsIn(lower));
    }

    @Test
    void shouldFindTheValueInJsonWrittenByJacksonAndInAsciiEscapedJson() throws Exception {
        final byte[] jackson = new ObjectMapper().writeValueAsBytes(java.util.Map.of("detail", "rows of " + EMAIL));
        assertTrue(encodingsIn(jackson).contains("json"), new String(jackson, StandardCharsets.UTF_8));
        final String ascii = "{\"v\":\"Kim.Lee+\\\"\\u00e9\\\"\\/x@Example.com\"}";
        assertEquals(List.of("json-ascii"), encodingsIn(ascii.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldFindAnAvroStringAsItsUtf8BytesAfterTheLengthPrefix() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        encoder.writeLong(42);
        encoder.writeString(EMAIL);
        encoder.flush();
        assertEquals(List.of("utf-8"), encodingsIn(out.toByteArray()));
    }

    @Test
    void shouldFindUtf16AndHexAndAnyCaseOfTextForms() {
        // little-endian text shifted by one byte reads as big-endian: both forms match inside ASCII
        assertTrue(encodingsIn(("  " + EMAIL).getBytes(StandardCharsets.UTF_16LE)).contains("utf-16le"));
        assertEquals(List.of("utf-16be"), encodingsIn(EMAIL.getBytes(StandardCharsets.UTF_16BE)));
        assertEquals(List.of("hex"), encodingsIn(HexFormat.of().withUpperCase()
                .formatHex(EMAIL.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII)));
        // ASCII letters match in any case (the é stays as it is)
        assertEquals(List.of("utf-8"), encodingsIn("xKIM.LEE+\"é\"/X@EXAMPLE.COM".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldFindNothingInBytesThatHoldAnotherValue() {
        final byte[] other = ("Kim.Lee+\"é\"/y@Example.com " + Base64.getEncoder().encodeToString(
                "Kim.Lee+\"é\"/y@Example.com".getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(), encodingsIn(other));
    }

    @Test
    void shouldNameTheValueByPositionAndHashNeverInClear() {
        assertTrue(VALUE.tag().startsWith("#1 (sha256:"), VALUE.tag());
        assertFalse(VALUE.tag().contains("Kim"), VALUE.tag());
    }

    @Test
    void refusesAValueTooShortToMeanAnything() {
        assertThrows(IllegalArgumentException.class, () -> SearchedValue.of(2, "ab "));
    }

    private static List<String> encodingsIn(byte[] bytes) {
        final List<String> found = new ArrayList<>();
        new ByteMatcher(List.of(VALUE)).search(bytes, (value, pattern, offset) -> {
            if (!found.contains(pattern.encoding())) {
                found.add(pattern.encoding());
            }
        });
        return found;
    }
}
