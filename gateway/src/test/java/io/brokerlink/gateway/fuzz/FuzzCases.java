package io.brokerlink.gateway.fuzz;

import io.brokerlink.gateway.fuzz.FuzzCase.AnyOutcome;
import io.brokerlink.gateway.fuzz.FuzzCase.Answered;
import io.brokerlink.gateway.fuzz.FuzzCase.Ending;
import io.brokerlink.gateway.fuzz.FuzzCase.Verdict;
import io.brokerlink.gateway.fuzz.FuzzTarget.Mode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestUtils;

/**
 * Seeded generators of hostile connections, built from a {@link Corpus} of recorded real requests: the same seed
 * gives the same cases in the same order, so a failure replays with {@code -Dfuzz.seed=N}. Each case says what the
 * gateway must do with it in the target's mode ({@link FuzzCase.Verdict}); most inputs may lead anywhere as long
 * as the gateway survives, well-formed ones must be answered, and some the rewrite gateway must refuse itself.
 */
final class FuzzCases {

    /** A generator and how often it is chosen relative to the others. */
    private record Generator(String kind, int weight, Maker maker) {
    }

    @FunctionalInterface
    private interface Maker {
        FuzzCase make(SplittableRandom r, FuzzTarget target);
    }

    /** Frames a case opens with (a login, or a recorded opening exchange) and how many answers they get. */
    private record Opening(List<byte[]> frames, int responses, boolean saslV0) {
        static final Opening NONE = new Opening(List.of(), 0, false);
    }

    private static final int[] INT32_EDGES = {-1, 0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7fffff00, 0x01000000};
    private static final int[] INT16_EDGES = {-1, 0, 1, 0x7f, 0x80, 0xff, 0x7fff, -0x8000, 0x100};
    private static final int[] VARINT_EDGES = {0, 1, 2, 0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, Integer.MAX_VALUE, -1};

    private final Corpus corpus;
    private final int maxFrameBytes;
    private final byte[] saslPlainToken;
    private final List<Generator> generators;
    private final int totalWeight;
    /** Random bytes for frames near the size limit, made once from the seed (a fresh 1 MiB per case costs). */
    private final byte[] filler;

    FuzzCases(Corpus corpus, int maxFrameBytes, String saslUser, String saslPassword, long seed) {
        this.corpus = corpus;
        this.maxFrameBytes = maxFrameBytes;
        this.saslPlainToken = ("\0" + saslUser + "\0" + saslPassword).getBytes(StandardCharsets.UTF_8);
        this.filler = new byte[maxFrameBytes + 1];
        new SplittableRandom(seed).nextBytes(filler);
        this.generators = List.of(
                new Generator("replay", 10, this::replay),
                new Generator("tiny-writes", 5, this::tinyWrites),
                new Generator("sasl-v0-login", 5, this::saslV0Login),
                new Generator("bit-flips", 14, this::bitFlips),
                new Generator("interesting-value", 18, this::interestingValue),
                new Generator("truncated", 6, this::truncated),
                new Generator("extended", 6, this::extended),
                new Generator("duplicated-reordered", 6, this::duplicatedReordered),
                new Generator("random-bytes", 5, this::randomBytes),
                new Generator("random-frame", 5, this::randomFrame),
                new Generator("negative-size", 3, this::negativeSize),
                new Generator("short-header", 3, this::shortHeader),
                new Generator("frame-size-limit", 2, this::frameSizeLimit),
                new Generator("api-version-above-cap", 3, this::apiVersionAboveCap),
                new Generator("absurd-api-versions", 3, this::absurdApiVersions),
                new Generator("unknown-api-key", 3, this::unknownApiKey),
                new Generator("sasl-raw-garbage", 4, this::saslRawGarbage),
                new Generator("other-protocol", 2, this::otherProtocol));
        this.totalWeight = generators.stream().mapToInt(Generator::weight).sum();
    }

    List<String> kinds() {
        return generators.stream().map(Generator::kind).toList();
    }

    FuzzCase next(SplittableRandom r, FuzzTarget target) {
        int pick = r.nextInt(totalWeight);
        for (Generator g : generators) {
            pick -= g.weight();
            if (pick < 0) {
                return g.maker().make(r, target);
            }
        }
        throw new IllegalStateException("weights do not add up");
    }

    // ---- well-formed traffic: must be answered in both modes

    /*
     * Well-formed cases wait for the answers of the opening exchange (ApiVersions, SASL) as real clients do, and
     * pipeline the rest: whether a broker serves requests sent before it answered the last SASL token is its own
     * business, and portmap, which forwards bytes unread, showed that it sometimes closes instead.
     */

    private FuzzCase replay(SplittableRandom r, FuzzTarget target) {
        RecordedPrefix p = recordedPrefix(r);
        Set<Integer> await = new HashSet<>();
        for (int i = 0; i < p.opening(); i++) {
            await.add(i);
        }
        return new FuzzCase("replay", p.frames().size() + " recorded requests", p.frames(), await,
                answeredEnding(r), new Answered(p.frames().size()));
    }

    private FuzzCase tinyWrites(SplittableRandom r, FuzzTarget target) {
        RecordedPrefix p = recordedPrefix(r);
        List<byte[]> writes = new ArrayList<>();
        Set<Integer> await = new HashSet<>();
        for (int i = 0; i < p.opening(); i++) {
            splitInto(writes, p.frames().get(i), r);
            await.add(writes.size() - 1);
        }
        splitInto(writes, concat(p.frames().subList(p.opening(), p.frames().size())), r);
        return new FuzzCase("tiny-writes", p.frames().size() + " recorded requests in " + writes.size() + " writes",
                writes, await, answeredEnding(r), new Answered(p.frames().size()));
    }

    /** Adds {@code bytes} to {@code writes} in pieces of 1-3 bytes (1-64 past 4 KiB). */
    private static void splitInto(List<byte[]> writes, byte[] bytes, SplittableRandom r) {
        int most = bytes.length <= 4096 ? 3 : 64;
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, 1 + r.nextInt(most));
            writes.add(Arrays.copyOfRange(bytes, at, at + n));
            at += n;
        }
    }

    private FuzzCase saslV0Login(SplittableRandom r, FuzzTarget target) {
        if (!target.sasl()) {
            return replay(r, target);
        }
        Opening login = saslV0(r);
        Corpus.Connection c = pick(r, corpus.connections());
        List<Corpus.Recorded> requests = answeredPromptly(c.requests());
        if (requests.isEmpty()) {
            return replay(r, target);
        }
        int k = 1 + r.nextInt(Math.min(8, requests.size()));
        List<byte[]> writes = new ArrayList<>(login.frames());
        for (int i = 0; i < k; i++) {
            writes.add(requests.get(i).frame().bytes());
        }
        List<byte[]> rest = coalesce(r, writes.subList(login.frames().size(), writes.size()));
        List<byte[]> steps = new ArrayList<>(login.frames());
        steps.addAll(rest);
        return new FuzzCase("sasl-v0-login", "SaslHandshake v0, raw PLAIN token, " + k + " recorded requests",
                steps, Set.of(0, 1), answeredEnding(r), new Answered(login.responses() + k));
    }

    // ---- mutations of recorded requests: anything may happen, the gateway must survive

    private FuzzCase bitFlips(SplittableRandom r, FuzzTarget target) {
        Opening opening = opening(r, target);
        List<Corpus.Recorded> run = recordedRun(r);
        int victim = r.nextInt(run.size());
        byte[] f = run.get(victim).frame().bytes().clone();
        int flips = 1 + r.nextInt(8);
        int from = r.nextInt(5) == 0 ? 0 : 4;
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < flips; i++) {
            int bit = from * 8 + r.nextInt((f.length - from) * 8);
            f[bit / 8] ^= (byte) (1 << (bit % 8));
            where.append(i == 0 ? "" : ",").append(bit / 8).append('.').append(bit % 8);
        }
        return mutated("bit-flips", run.get(victim).frame().apiName() + ": bits " + where, r, target, opening, run,
                victim, f);
    }

    private FuzzCase interestingValue(SplittableRandom r, FuzzTarget target) {
        Opening opening = opening(r, target);
        List<Corpus.Recorded> run = recordedRun(r);
        int victim = r.nextInt(run.size());
        Corpus.Recorded rec = run.get(victim);
        byte[] f = rec.frame().bytes().clone();
        String detail;
        int site = r.nextInt(10);
        if (site >= 5 && !rec.lengths().isEmpty()) {
            LengthFields.LengthField field = pick(r, rec.lengths());
            switch (field.width()) {
                case INT16 -> {
                    int v = edge16(r, f.length - field.offset());
                    ByteBuffer.wrap(f).putShort(field.offset(), (short) v);
                    detail = "int16 at " + field.offset() + " (" + field.name() + ") -> " + (short) v;
                }
                case INT32 -> {
                    int v = edge32(r, f.length - field.offset());
                    ByteBuffer.wrap(f).putInt(field.offset(), v);
                    detail = "int32 at " + field.offset() + " (" + field.name() + ") -> " + v;
                }
                case UVARINT -> {
                    int v = r.nextInt(4) == 0 ? 2 * (f.length - field.offset()) : VARINT_EDGES[r.nextInt(VARINT_EDGES.length)];
                    byte[] encoded = LengthFields.unsignedVarint(v);
                    byte[] spliced = new byte[f.length - field.bytes() + encoded.length];
                    System.arraycopy(f, 0, spliced, 0, field.offset());
                    System.arraycopy(encoded, 0, spliced, field.offset(), encoded.length);
                    System.arraycopy(f, field.offset() + field.bytes(), spliced, field.offset() + encoded.length,
                            f.length - field.offset() - field.bytes());
                    boolean resize = r.nextInt(10) < 7;
                    if (resize) {
                        ByteBuffer.wrap(spliced).putInt(0, spliced.length - 4);
                    }
                    f = spliced;
                    detail = "uvarint at " + field.offset() + " (" + field.name() + ") -> " + Integer.toUnsignedString(v)
                            + (resize ? "" : ", size field not updated");
                }
                default -> throw new IllegalStateException(field.width().toString());
            }
        } else {
            switch (site) {
                case 0 -> {
                    int v = edge32(r, f.length);
                    ByteBuffer.wrap(f).putInt(0, v);
                    detail = "size -> " + v;
                }
                case 1 -> {
                    int v = edge16(r, 0);
                    ByteBuffer.wrap(f).putShort(RequestFrame.API_KEY_OFFSET, (short) v);
                    detail = "api key -> " + (short) v;
                }
                case 2 -> {
                    int v = edge16(r, 0);
                    ByteBuffer.wrap(f).putShort(RequestFrame.API_VERSION_OFFSET, (short) v);
                    detail = "api version -> " + (short) v;
                }
                case 3 -> {
                    int v = edge32(r, 0);
                    ByteBuffer.wrap(f).putInt(RequestFrame.CORRELATION_ID_OFFSET, v);
                    detail = "correlation id -> " + v;
                }
                case 4 -> {
                    int v = edge16(r, f.length - RequestFrame.CLIENT_ID_OFFSET);
                    ByteBuffer.wrap(f).putShort(RequestFrame.CLIENT_ID_OFFSET, (short) v);
                    detail = "client id length -> " + (short) v;
                }
                default -> {
                    int at = 4 + r.nextInt(f.length - 4);
                    int width = Math.min(f.length - at, new int[] {1, 2, 4}[r.nextInt(3)]);
                    int v = edge32(r, f.length - at);
                    for (int i = 0; i < width; i++) {
                        f[at + i] = (byte) (v >>> (8 * (width - 1 - i)));
                    }
                    detail = width + " byte(s) at " + at + " -> " + Integer.toHexString(v);
                }
            }
        }
        return mutated("interesting-value", rec.frame().apiName() + ": " + detail, r, target, opening, run, victim, f);
    }

    private FuzzCase truncated(SplittableRandom r, FuzzTarget target) {
        Opening opening = r.nextBoolean() ? Opening.NONE : opening(r, target);
        Corpus.Recorded rec = pick(r, corpus.requests());
        byte[] whole = rec.frame().bytes();
        int keep = 1 + r.nextInt(whole.length - 1);
        byte[] cut = Arrays.copyOf(whole, keep);
        List<byte[]> writes = new ArrayList<>(opening.frames());
        if (r.nextBoolean() && keep >= 4) {
            ByteBuffer.wrap(cut).putInt(0, keep - 4); // a shorter body that says so: the parser meets its end
            writes.add(cut);
            return new FuzzCase("truncated", rec.frame().apiName() + ": body cut to " + (keep - 4) + " bytes, size updated",
                    coalesce(r, writes), anyEnding(r), new AnyOutcome());
        }
        writes.add(cut);
        Ending ending = anyEnding(r);
        Verdict verdict = target.mode() == Mode.REWRITE && ending == Ending.HALF_CLOSE
                ? new FuzzCase.RewriteRefuses("truncated frame") : new AnyOutcome();
        return new FuzzCase("truncated", rec.frame().apiName() + ": " + keep + " of " + whole.length
                + " bytes, then " + ending, coalesce(r, writes), ending, verdict);
    }

    private FuzzCase extended(SplittableRandom r, FuzzTarget target) {
        Opening opening = opening(r, target);
        List<Corpus.Recorded> run = recordedRun(r);
        int victim = r.nextInt(run.size());
        byte[] f = run.get(victim).frame().bytes();
        int extra = 1 + r.nextInt(64);
        byte[] longer = Arrays.copyOf(f, f.length + extra);
        for (int i = f.length; i < longer.length; i++) {
            longer[i] = (byte) r.nextInt(256);
        }
        boolean resize = r.nextBoolean();
        if (resize) {
            ByteBuffer.wrap(longer).putInt(0, longer.length - 4);
        }
        return mutated("extended", run.get(victim).frame().apiName() + ": " + extra + " garbage bytes appended"
                + (resize ? " inside the frame" : " after it"), r, target, opening, run, victim, longer);
    }

    private FuzzCase duplicatedReordered(SplittableRandom r, FuzzTarget target) {
        Corpus.Connection c = pick(r, corpus.connections());
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < Math.min(8, c.requests().size()); i++) {
            byte[] f = c.requests().get(i).frame().bytes();
            frames.add(f);
            if (r.nextInt(3) == 0) {
                frames.add(f);
            }
        }
        boolean withOpening = r.nextInt(5) > 0;
        List<byte[]> writes = new ArrayList<>();
        c.opening().forEach(o -> writes.add(o.frame().bytes()));
        if (withOpening) {
            Collections.shuffle(frames, new java.util.Random(r.nextLong()));
            writes.addAll(frames);
        } else {
            writes.addAll(frames);
            Collections.shuffle(writes, new java.util.Random(r.nextLong()));
        }
        return new FuzzCase("duplicated-reordered", frames.size() + " frames" + (withOpening ? " after the opening"
                : " opening included"), coalesce(r, writes), anyEnding(r), new AnyOutcome());
    }

    // ---- made-up frames

    private FuzzCase randomBytes(SplittableRandom r, FuzzTarget target) {
        byte[] b = new byte[1 + r.nextInt(2048)];
        r.nextBytes(b);
        return new FuzzCase("random-bytes", b.length + " bytes", List.of(b), anyEnding(r), new AnyOutcome());
    }

    private FuzzCase randomFrame(SplittableRandom r, FuzzTarget target) {
        Opening opening = opening(r, target);
        byte[] body = new byte[8 + r.nextInt(512)];
        r.nextBytes(body);
        List<byte[]> writes = new ArrayList<>(opening.frames());
        writes.add(sizePrefixed(body));
        return new FuzzCase("random-frame", "size " + body.length + ", random body", coalesce(r, writes),
                anyEnding(r), new AnyOutcome());
    }

    private FuzzCase negativeSize(SplittableRandom r, FuzzTarget target) {
        Opening opening = r.nextBoolean() ? Opening.NONE : opening(r, target);
        int size = switch (r.nextInt(3)) {
            case 0 -> -1;
            case 1 -> Integer.MIN_VALUE;
            default -> -1 - r.nextInt(Integer.MAX_VALUE);
        };
        byte[] b = new byte[4 + r.nextInt(16)];
        r.nextBytes(b);
        ByteBuffer.wrap(b).putInt(0, size);
        List<byte[]> writes = new ArrayList<>(opening.frames());
        writes.add(b);
        // After a SASL v0 login the gateway passes raw tokens; a negative size is still no frame at all.
        Verdict verdict = target.mode() == Mode.REWRITE ? new FuzzCase.RewriteRefuses("negative frame size " + size)
                : new FuzzCase.Closed();
        return new FuzzCase("negative-size", "size " + size, coalesce(r, writes), Ending.READ_THEN_CLOSE, verdict);
    }

    private FuzzCase shortHeader(SplittableRandom r, FuzzTarget target) {
        byte[] body = new byte[r.nextInt(8)];
        r.nextBytes(body);
        Verdict verdict = target.mode() == Mode.REWRITE
                ? new FuzzCase.RewriteRefuses("shorter than a request header") : new AnyOutcome();
        return new FuzzCase("short-header", "size " + body.length, List.of(sizePrefixed(body)),
                Ending.READ_THEN_CLOSE, verdict);
    }

    private FuzzCase frameSizeLimit(SplittableRandom r, FuzzTarget target) {
        int size = switch (r.nextInt(5)) {
            case 0 -> maxFrameBytes - 1;
            case 1 -> maxFrameBytes;
            case 2 -> maxFrameBytes + 1;
            case 3 -> maxFrameBytes + 1 + r.nextInt(1 << 20);
            default -> maxFrameBytes - 1 - r.nextInt(4096);
        };
        byte[] header = pick(r, corpus.requests()).frame().bytes();
        int send = size <= maxFrameBytes ? 4 + size : 4 + Math.min(size, 64 * 1024);
        byte[] f = Arrays.copyOf(filler, send);
        System.arraycopy(header, 0, f, 0, Math.min(header.length, Math.min(send, 14)));
        ByteBuffer.wrap(f).putInt(0, size);
        Verdict verdict = size > maxFrameBytes ? new FuzzCase.Closed() : new AnyOutcome();
        return new FuzzCase("frame-size-limit", "size " + size + " (limit " + maxFrameBytes + "), " + send
                + " bytes sent", List.of(f), Ending.READ_THEN_CLOSE, verdict);
    }

    // ---- protocol-state abuse

    private FuzzCase apiVersionAboveCap(SplittableRandom r, FuzzTarget target) {
        List<Corpus.Recorded> capped = corpus.requests().stream().filter(x -> gatewayDecodes(x.frame().apiKey()))
                .toList();
        if (capped.isEmpty()) {
            return interestingValue(r, target);
        }
        Corpus.Recorded rec = pick(r, capped);
        ApiKeys api = ApiKeys.forId(rec.frame().apiKey());
        short version = r.nextBoolean() ? Short.MAX_VALUE : (short) (api.latestVersion(true) + 1 + r.nextInt(50));
        byte[] f = rec.frame().bytes().clone();
        ByteBuffer.wrap(f).putShort(RequestFrame.API_VERSION_OFFSET, version);
        // Portmap passes it on unread: the broker decides.
        Verdict verdict = target.mode() == Mode.REWRITE
                ? new FuzzCase.RewriteRefuses("the highest this gateway can parse") : new AnyOutcome();
        return new FuzzCase("api-version-above-cap", api.name + " v" + version, List.of(f), Ending.READ_THEN_CLOSE,
                verdict);
    }

    private FuzzCase absurdApiVersions(SplittableRandom r, FuzzTarget target) {
        short version = switch (r.nextInt(5)) {
            case 0 -> Short.MAX_VALUE;
            case 1 -> (short) (ApiKeys.API_VERSIONS.latestVersion(true) + 1);
            case 2 -> (short) (ApiKeys.API_VERSIONS.latestVersion(true) + 1 + r.nextInt(1000));
            case 3 -> (short) -1;
            default -> Short.MIN_VALUE;
        };
        List<Corpus.Recorded> recorded = corpus.connections().stream().flatMap(c -> c.opening().stream())
                .filter(x -> x.frame().apiKey() == ApiKeys.API_VERSIONS.id).toList();
        byte[] f = recorded.isEmpty() ? apiVersionsV0Frame(r) : pick(r, recorded).frame().bytes().clone();
        ByteBuffer.wrap(f).putShort(RequestFrame.API_VERSION_OFFSET, version);
        // Above the highest version a broker answers UNSUPPORTED_VERSION with its range, and so does the rewrite
        // gateway when it cannot parse the version. A SASL listener before authentication closes instead (its
        // authenticator answers some and closes on others, depending on the body): portmap forwards bytes, so
        // there the broker decides.
        // What a negative version gets is up to the broker.
        Verdict verdict = version < 0 || target.mode() == Mode.PORTMAP && target.sasl() ? new AnyOutcome()
                : new Answered(1);
        return new FuzzCase("absurd-api-versions", "ApiVersions v" + version, List.of(f), Ending.READ_THEN_CLOSE,
                verdict);
    }

    private FuzzCase unknownApiKey(SplittableRandom r, FuzzTarget target) {
        Opening opening = opening(r, target);
        short key;
        do {
            key = switch (r.nextInt(4)) {
                case 0 -> (short) -1;
                case 1 -> Short.MAX_VALUE;
                case 2 -> Short.MIN_VALUE;
                default -> (short) r.nextInt(Short.MAX_VALUE);
            };
        } while (ApiKeys.hasId(key));
        byte[] f = pick(r, corpus.requests()).frame().bytes().clone();
        ByteBuffer.wrap(f).putShort(RequestFrame.API_KEY_OFFSET, key);
        List<byte[]> writes = new ArrayList<>(opening.frames());
        writes.add(f);
        // Both modes pass it on; what the broker does is its business: a SASL listener takes a first frame that is no
        // Kafka header for a GSSAPI token (Kafka 0.9 compatibility) and may wait for more (seen: open after 10 s).
        return new FuzzCase("unknown-api-key", "api key " + key, coalesce(r, writes), Ending.READ_THEN_CLOSE,
                new AnyOutcome());
    }

    private FuzzCase saslRawGarbage(SplittableRandom r, FuzzTarget target) {
        List<byte[]> writes = new ArrayList<>();
        writes.add(saslHandshakeV0(r));
        int tokens = 1 + r.nextInt(4);
        for (int i = 0; i < tokens; i++) {
            byte[] token = new byte[r.nextInt(256)];
            r.nextBytes(token);
            byte[] frame = sizePrefixed(token.length >= 8 ? token : Arrays.copyOf(token, 8));
            if (r.nextInt(4) == 0) {
                ByteBuffer.wrap(frame).putInt(0, edge32(r, frame.length));
            }
            writes.add(frame);
        }
        return new FuzzCase("sasl-raw-garbage", "SaslHandshake v0, then " + tokens + " garbage raw tokens",
                coalesce(r, writes), anyEnding(r), new AnyOutcome());
    }

    private FuzzCase otherProtocol(SplittableRandom r, FuzzTarget target) {
        if (r.nextBoolean()) {
            byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03, 0x11, 0x22};
            Verdict verdict = target.mode() == Mode.REWRITE ? new FuzzCase.RewriteRefuses("TLS handshake from")
                    : new AnyOutcome();
            return new FuzzCase("other-protocol", "TLS ClientHello", List.of(hello), Ending.READ_THEN_CLOSE, verdict);
        }
        byte[] get = "GET /metrics HTTP/1.1\r\nHost: broker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        return new FuzzCase("other-protocol", "HTTP GET", List.of(get), Ending.READ_THEN_CLOSE, new FuzzCase.Closed());
    }

    // ---- helpers

    /**
     * The frames before the mutated run, the mutated frame in place of the original, then the rest of the run.
     * Whatever the broker or gateway does with a mutated request is allowed.
     */
    private FuzzCase mutated(String kind, String detail, SplittableRandom r, FuzzTarget target, Opening opening,
                             List<Corpus.Recorded> run, int victim, byte[] replacement) {
        List<byte[]> writes = new ArrayList<>(opening.frames());
        for (int i = 0; i < run.size(); i++) {
            writes.add(i == victim ? replacement : run.get(i).frame().bytes());
        }
        return new FuzzCase(kind, detail, coalesce(r, writes), anyEnding(r), new AnyOutcome());
    }

    /**
     * How a case opens: on a SASL port usually with a login (the raw v0 exchange or a recorded v1 one), so mutated
     * requests get past authentication; elsewhere now and then a recorded opening too.
     */
    private Opening opening(SplittableRandom r, FuzzTarget target) {
        int dice = r.nextInt(10);
        if (target.sasl() ? dice >= 8 : dice >= 3) {
            return Opening.NONE;
        }
        if (target.sasl() && r.nextBoolean()) {
            return saslV0(r);
        }
        Corpus.Connection c = pick(r, corpus.connections());
        List<byte[]> frames = c.opening().stream().map(x -> x.frame().bytes()).toList();
        return new Opening(frames, frames.size(), false);
    }

    private Opening saslV0(SplittableRandom r) {
        return new Opening(List.of(saslHandshakeV0(r), sizePrefixed(saslPlainToken)), 2, true);
    }

    private static byte[] saslHandshakeV0(SplittableRandom r) {
        ByteBuffer b = RequestUtils.serialize(new RequestHeaderData().setRequestApiKey(ApiKeys.SASL_HANDSHAKE.id)
                        .setRequestApiVersion((short) 0).setCorrelationId(r.nextInt(1 << 20)).setClientId("fuzz"),
                ApiKeys.SASL_HANDSHAKE.requestHeaderVersion((short) 0),
                new SaslHandshakeRequestData().setMechanism("PLAIN"), (short) 0);
        byte[] body = new byte[b.remaining()];
        b.get(body);
        return sizePrefixed(body);
    }

    private static byte[] apiVersionsV0Frame(SplittableRandom r) {
        ByteBuffer b = ByteBuffer.allocate(10).putShort(ApiKeys.API_VERSIONS.id).putShort((short) 0)
                .putInt(r.nextInt()).putShort((short) -1);
        return sizePrefixed(b.array());
    }

    /** The first frames of a recorded connection, of which the first {@code opening} belong to its opening. */
    private record RecordedPrefix(List<byte[]> frames, int opening) {
    }

    /**
     * The first 1 to 12 frames of a recorded connection, opening included: well-formed from the first byte. It stops
     * before a JoinGroup or SyncGroup: a broker answers those when the group's rebalance completes, which for a replay
     * may be the recorded consumer's rebalance timeout (minutes) away (seen: a replay still unanswered after 20 s).
     */
    private RecordedPrefix recordedPrefix(SplittableRandom r) {
        Corpus.Connection c = pick(r, corpus.connections());
        List<Corpus.Recorded> all = answeredPromptly(c.all());
        int k = 1 + r.nextInt(Math.min(12, all.size()));
        return new RecordedPrefix(all.subList(0, k).stream().map(x -> x.frame().bytes()).toList(),
                Math.min(k, c.opening().size()));
    }

    /** The frames up to the first JoinGroup or SyncGroup (whose answers wait for a rebalance). */
    private static List<Corpus.Recorded> answeredPromptly(List<Corpus.Recorded> frames) {
        for (int i = 0; i < frames.size(); i++) {
            short key = frames.get(i).frame().apiKey();
            if (key == ApiKeys.JOIN_GROUP.id || key == ApiKeys.SYNC_GROUP.id) {
                return frames.subList(0, i);
            }
        }
        return frames;
    }

    /** One to three consecutive requests of a recorded connection (after its opening). */
    private List<Corpus.Recorded> recordedRun(SplittableRandom r) {
        List<Corpus.Recorded> requests = pick(r, corpus.connections()).requests();
        int from = r.nextInt(requests.size());
        int n = 1 + r.nextInt(Math.min(3, requests.size() - from));
        return requests.subList(from, from + n);
    }

    /** All frames in one write, or each in its own. */
    private static List<byte[]> coalesce(SplittableRandom r, List<byte[]> frames) {
        return r.nextBoolean() ? List.of(concat(frames)) : frames;
    }

    /** Any bytes behind a size field that counts them: a frame to the decoder, whatever is inside. */
    private static byte[] sizePrefixed(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private static byte[] concat(List<byte[]> frames) {
        int n = frames.stream().mapToInt(f -> f.length).sum();
        ByteBuffer b = ByteBuffer.allocate(n);
        frames.forEach(b::put);
        return b.array();
    }

    private static Ending anyEnding(SplittableRandom r) {
        int dice = r.nextInt(10);
        return dice < 4 ? Ending.HALF_CLOSE : dice < 8 ? Ending.READ_THEN_CLOSE : Ending.RESET;
    }

    private static Ending answeredEnding(SplittableRandom r) {
        return r.nextInt(5) == 0 ? Ending.RESET : Ending.READ_THEN_CLOSE;
    }

    /** An edge value for a 32-bit field, or one just around what is left of the frame after it. */
    private int edge32(SplittableRandom r, int remaining) {
        return switch (r.nextInt(4)) {
            case 0 -> remaining + 1;
            case 1 -> Math.max(0, remaining - 1 - r.nextInt(Math.max(1, remaining)));
            case 2 -> maxFrameBytes + r.nextInt(3) - 1;
            default -> INT32_EDGES[r.nextInt(INT32_EDGES.length)];
        };
    }

    private static int edge16(SplittableRandom r, int remaining) {
        return r.nextInt(4) == 0 ? Math.min(Short.MAX_VALUE, remaining + 1) : INT16_EDGES[r.nextInt(INT16_EDGES.length)];
    }

    private static boolean gatewayDecodes(short apiKey) {
        return apiKey != ApiKeys.API_VERSIONS.id && (apiKey == ApiKeys.PRODUCE.id || apiKey == ApiKeys.FETCH.id
                || apiKey == ApiKeys.METADATA.id || apiKey == ApiKeys.FIND_COORDINATOR.id
                || apiKey == ApiKeys.DESCRIBE_CLUSTER.id || apiKey == ApiKeys.SHARE_FETCH.id
                || apiKey == ApiKeys.SHARE_ACKNOWLEDGE.id);
    }

    private static <T> T pick(SplittableRandom r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }
}
