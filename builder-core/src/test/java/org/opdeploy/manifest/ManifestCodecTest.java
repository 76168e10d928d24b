package org.opdeploy.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opdeploy.error.BadInputException;
import org.opdeploy.version.Version;

class ManifestCodecTest {

  static Manifest sample() {
    Manifest.Stream full =
        new Manifest.Stream(
            "full",
            null,
            "zstd:3",
            List.of(new Manifest.StreamFile("op-dbus-v1.1.0.send.zst", 10, "c".repeat(64))),
            100);
    Manifest.Stream incremental =
        new Manifest.Stream(
            "incremental",
            new Manifest.Parent(v("v1.0.0"), "uuid-0"),
            "zstd:3",
            List.of(
                new Manifest.StreamFile("op-dbus-v1.1.0-from-v1.0.0.send.zst", 5, "d".repeat(64))),
            50);
    return new Manifest(
        1,
        "op-dbus",
        v("v1.1.0"),
        Instant.parse("2026-11-25T10:00:00Z"),
        null,
        new Manifest.Source("abc", "v1.1.0", "e".repeat(64)),
        new Manifest.Subvolume("uuid-1"),
        new Manifest.BtrfsInfo(2, false),
        "op-dbus.service",
        new Manifest.Health("/usr/local/bin/op-dbus query", 30),
        List.of(full, incremental));
  }

  @Test
  void roundTripsAndUsesSnakeCaseAndUtcTimes() throws BadInputException {
    byte[] json = ManifestCodec.encode(sample());
    String text = new String(json, StandardCharsets.UTF_8);
    assertThat(text)
        .contains("\"format\" : 1")
        .contains("\"created\" : \"2026-11-25T10:00:00Z\"")
        .contains("\"stream_size\" : 100")
        .contains("\"spec_sha256\"")
        .contains("\"send_protocol\" : 2");
    Manifest back = ManifestCodec.decode(json, "m.json");
    assertThat(back).isEqualTo(sample());
    assertThat(back.incrementalFrom(v("v1.0.0"))).isPresent();
    assertThat(back.fullStream().orElseThrow().storedSize()).isEqualTo(10);
  }

  @Test
  void chunkIndexRoundTripsAndAManifestWithoutOneStaysWithoutOne() throws BadInputException {
    Manifest.StreamFile chunked =
        new Manifest.StreamFile(
            "a.send.zst",
            20L << 20,
            "c".repeat(64),
            ChunkIndex.CHUNK_BYTES,
            List.of("1".repeat(64), "2".repeat(64), "3".repeat(64)));
    Manifest.Stream full = new Manifest.Stream("full", null, "zstd:3", List.of(chunked), 100);
    Manifest withIndex =
        new Manifest(
            1,
            "op-dbus",
            v("v1.1.0"),
            Instant.parse("2026-11-25T10:00:00Z"),
            null,
            null,
            new Manifest.Subvolume("u"),
            new Manifest.BtrfsInfo(1, false),
            null,
            null,
            List.of(full));

    String text = new String(ManifestCodec.encode(withIndex), StandardCharsets.UTF_8);
    Manifest back = ManifestCodec.decode(text.getBytes(StandardCharsets.UTF_8), "m.json");

    assertThat(text).contains("\"chunk_size\" : 8388608").contains("\"chunks\" : [");
    assertThat(back).isEqualTo(withIndex);
    assertThat(back.fullStream().orElseThrow().hasChunkIndex()).isTrue();
    ChunkIndex.check(back.fullStream().orElseThrow().files().get(0), "m.json");
    String old = new String(ManifestCodec.encode(sample()), StandardCharsets.UTF_8);
    assertThat(old).doesNotContain("chunk");
    assertThat(
            ManifestCodec.decode(old.getBytes(StandardCharsets.UTF_8), "m.json")
                .fullStream()
                .orElseThrow()
                .hasChunkIndex())
        .isFalse();
  }

  @Test
  void chunkIndexThatDoesNotFitTheFileIsRefused() {
    Manifest.StreamFile shortIndex =
        new Manifest.StreamFile("a", 20L << 20, "c".repeat(64), 8L << 20, List.of("1".repeat(64)));
    Manifest.StreamFile hugeChunks =
        new Manifest.StreamFile("a", 20L << 20, "c".repeat(64), 1L << 30, List.of("1".repeat(64)));
    assertThatThrownBy(() -> ChunkIndex.check(shortIndex, "m.json"))
        .hasMessageContaining("expected 3");
    assertThatThrownBy(() -> ChunkIndex.check(hugeChunks, "m.json"))
        .hasMessageContaining("chunk size");
  }

  @Test
  void carriesTheServiceAccountAndReadsManifestsWithoutOne() throws BadInputException {
    Manifest s = sample();
    Manifest withAccount =
        new Manifest(
            s.format(),
            s.name(),
            s.version(),
            s.created(),
            s.expires(),
            s.source(),
            s.subvolume(),
            s.btrfs(),
            s.service(),
            s.health(),
            s.streams(),
            ServiceAccount.of("opdbus", false, List.of("CAP_NET_ADMIN", "net_raw"), "test"));
    String text = new String(ManifestCodec.encode(withAccount), StandardCharsets.UTF_8);
    assertThat(text)
        .contains(
            "\"service_account\" : {",
            "\"user\" : \"opdbus\"",
            "\"dynamic_user\" : false",
            "\"CAP_NET_RAW\"");
    assertThat(ManifestCodec.decode(text.getBytes(StandardCharsets.UTF_8), "m.json"))
        .isEqualTo(withAccount);
    String without = text.replaceAll("(?s),\\s*\"service_account\" : \\{[^}]*\\}", "");
    assertThat(
            ManifestCodec.decode(without.getBytes(StandardCharsets.UTF_8), "m.json")
                .serviceAccount())
        .isNull();
  }

  @Test
  void carriesThePayloadsRepositoryTagAndCommitBesideTheDeploymentRepositorys()
      throws BadInputException {
    Manifest s = sample();
    Manifest.Source source =
        new Manifest.Source(
            "abc",
            null,
            "e".repeat(64),
            "acme/op-dbus-deploy",
            new Manifest.PayloadSource("acme/operation-dbus", "v2.4.0", "f".repeat(40)));
    Manifest withPayload =
        new Manifest(
            s.format(),
            s.name(),
            s.version(),
            s.created(),
            s.expires(),
            source,
            s.subvolume(),
            s.btrfs(),
            s.service(),
            s.health(),
            s.streams());
    String text = new String(ManifestCodec.encode(withPayload), StandardCharsets.UTF_8);
    assertThat(text)
        .contains(
            "\"repository\" : \"acme/op-dbus-deploy\"",
            "\"payload\" : {",
            "\"repository\" : \"acme/operation-dbus\"",
            "\"tag\" : \"v2.4.0\"");
    assertThat(ManifestCodec.decode(text.getBytes(StandardCharsets.UTF_8), "m.json"))
        .isEqualTo(withPayload);
  }

  @Test
  void aManifestWrittenBeforeThePayloadSourceStillParsesAndOneWithoutItWritesNoNewKeys()
      throws BadInputException {
    String older =
        "{\"format\":1,\"name\":\"op-dbus\",\"version\":\"v1.0.0\","
            + "\"created\":\"2026-01-01T00:00:00Z\",\"expires\":null,"
            + "\"source\":{\"commit\":\"abc\",\"tag\":\"v1.0.0\",\"spec_sha256\":null},"
            + "\"subvolume\":{\"uuid\":\"u\"},\"btrfs\":{\"send_protocol\":1,"
            + "\"compressed_data\":false},\"service\":null,\"health\":null,\"streams\":[]}";
    Manifest m = ManifestCodec.decode(older.getBytes(StandardCharsets.UTF_8), "old.json");
    assertThat(m.source().commit()).isEqualTo("abc");
    assertThat(m.source().repository()).isNull();
    assertThat(m.source().payload()).isNull();
    assertThat(new String(ManifestCodec.encode(sample()), StandardCharsets.UTF_8))
        .doesNotContain("\"repository\"")
        .doesNotContain("\"payload\"");
  }

  @Test
  void refusesAnotherFormatAndGarbage() {
    assertThatThrownBy(
            () ->
                ManifestCodec.decode(
                    "{\"format\":2,\"name\":\"x\",\"version\":\"v1.0.0\",\"streams\":[]}"
                        .getBytes(StandardCharsets.UTF_8),
                    "m.json"))
        .hasMessageContaining("format 2");
    assertThatThrownBy(
            () -> ManifestCodec.decode("not json".getBytes(StandardCharsets.UTF_8), "m.json"))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("m.json is not a valid manifest");
  }

  @Test
  void assetNamesMatchTheDesign() throws BadInputException {
    Version v = Version.parse("v1.1.0");
    Version p = Version.parse("v1.0.0");
    assertThat(AssetNames.fullStream("op-dbus", v, Compression.zstd(3)))
        .isEqualTo("op-dbus-v1.1.0.send.zst");
    assertThat(AssetNames.fullStream("op-dbus", v, Compression.NONE))
        .isEqualTo("op-dbus-v1.1.0.send");
    assertThat(AssetNames.incrementalStream("op-dbus", v, p, Compression.zstd(3)))
        .isEqualTo("op-dbus-v1.1.0-from-v1.0.0.send.zst");
    assertThat(AssetNames.part("op-dbus-v1.1.0.send.zst", 1))
        .isEqualTo("op-dbus-v1.1.0.send.zst.part001");
    assertThat(AssetNames.manifest("op-dbus", v)).isEqualTo("op-dbus-v1.1.0.manifest.json");
    assertThatThrownBy(() -> AssetNames.checkName("../x")).isInstanceOf(BadInputException.class);
  }

  private static Version v(String text) {
    return Version.tryParse(text).orElseThrow();
  }
}
