package dev.lethe.ledger.executor.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceParserTest {

    private final ReferenceParser parser = new ReferenceParser(List.of("media", "my.media"),
            Map.of("cdn.example.com", "media", "img.example.com", "media/originals"));

    private ObjectRef object(String raw) {
        return assertInstanceOf(Reference.Object.class, parser.parse(raw)).ref();
    }

    @Test
    void shouldReadEveryShapeToTheSameObject() {
        final ObjectRef expected = new ObjectRef("media", "users/42/a b+c.jpg");
        assertEquals(expected, object("s3://media/users/42/a b+c.jpg"));
        assertEquals(expected, object("https://media.s3.eu-west-1.amazonaws.com/users/42/a%20b+c.jpg"));
        assertEquals(expected, object("https://media.s3-eu-west-1.amazonaws.com/users/42/a%20b+c.jpg"));
        assertEquals(expected, object("https://media.s3.amazonaws.com/users/42/a%20b%2Bc.jpg?versionId=1"));
        assertEquals(expected, object("http://s3.eu-west-1.amazonaws.com/media/users/42/a%20b+c.jpg"));
        assertEquals(expected, object("https://s3.amazonaws.com/media/users/42/a%20b+c.jpg#top"));
        assertEquals(expected, object("https://cdn.example.com/users/42/a%20b+c.jpg?w=200"));
        assertEquals(expected, object("{\"bucket\":\"media\",\"key\":\"users/42/a b+c.jpg\"}"));
    }

    @Test
    void shouldDecodeUtf8AndKeepDottedBucketNames() {
        assertEquals(new ObjectRef("my.media", "사진/얼굴.png"),
                object("https://my.media.s3.ap-northeast-2.amazonaws.com/%EC%82%AC%EC%A7%84/%EC%96%BC%EA%B5%B4.png"));
    }

    @Test
    void shouldApplyTheCdnOriginPath() {
        assertEquals(new ObjectRef("media", "originals/u/1.jpg"), object("https://img.example.com/u/1.jpg"));
    }

    @Test
    void shouldReadManifestReferences() {
        final Reference reference = parser.parse("manifest:s3://media/manifests/job-1.json");
        assertEquals(new ObjectRef("media", "manifests/job-1.json"),
                assertInstanceOf(Reference.Manifest.class, reference).ref());
        assertEquals(new ObjectRef("media", "k/1.jpg"),
                assertInstanceOf(Reference.Object.class, parser.parseManifestEntry("k/1.jpg", "media")).ref());
    }

    @Test
    void shouldRefuseReferencesOutsideTheSystemsBuckets() {
        assertInstanceOf(Reference.Refused.class, parser.parse("s3://other-bucket/users/42/a.jpg"));
        assertInstanceOf(Reference.Refused.class, parser.parse("https://other.s3.amazonaws.com/a.jpg"));
        assertInstanceOf(Reference.Refused.class, parser.parse("https://evil.example.org/media/a.jpg"));
        assertInstanceOf(Reference.Refused.class, parser.parse("s3://media/"));
        assertInstanceOf(Reference.Refused.class, parser.parse("https://media.s3.amazonaws.com/a%2"));
        assertInstanceOf(Reference.Refused.class, parser.parse("{\"bucket\":\"media\"}"));
        assertInstanceOf(Reference.Refused.class, parser.parseManifestEntry("manifest:s3://media/m.json", "media"));
    }
}
