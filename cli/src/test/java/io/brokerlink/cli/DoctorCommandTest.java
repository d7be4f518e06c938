package io.brokerlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brokerlink doctor lint} through the real command line: exit codes 0, 1 and 2 and the finding's line. */
class DoctorCommandTest {

    @TempDir
    Path dir;

    private Path broker(int id, String external) throws Exception {
        Path f = dir.resolve("broker-" + id + ".properties");
        Files.writeString(f, String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + id,
                "broker.rack=usw2-az" + id,
                "controller.quorum.voters=1@10.0.1.11:29092,2@10.0.2.12:29092,3@10.0.3.13:29092",
                "listeners=INTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:29092,EXTERNAL://0.0.0.0:39092",
                "inter.broker.listener.name=INTERNAL",
                "advertised.listeners=INTERNAL://10.0." + id + ".1" + id + ":9092,EXTERNAL://" + external,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT", ""));
        return f;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int code = Main.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void lintExitCodes() throws Exception {
        Path b1 = broker(1, "b1.usw2-az1.abc.us-west-2.aws.plc.example.com:9093");
        Path b2 = broker(2, "b2.usw2-az2.abc.us-west-2.aws.plc.example.com:9094");
        Path b3 = broker(3, "b2.usw2-az3.abc.us-west-2.aws.plc.example.com:9095");
        Run bad = run("doctor", "lint", b1.toString(), b2.toString(), b3.toString());
        assertThat(bad.code()).as(bad.out() + bad.err()).isEqualTo(1);
        assertThat(bad.out()).contains(b3 + ":7: error BL111:");

        Files.writeString(b3, Files.readString(b3).replace("EXTERNAL://b2.", "EXTERNAL://b3."));
        Run ok = run("doctor", "lint", "--pattern", "<broker_id>.<az_id>.abc.us-west-2.aws.plc.example.com:<port>",
                b1.toString(), b2.toString(), b3.toString());
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("3 files: OK");

        Run json = run("doctor", "lint", "--json", b1.toString());
        assertThat(json.out()).contains("\"command\" : \"lint\"");

        Run missing = run("doctor", "lint", dir.resolve("nope.properties").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.properties");

        Run badRule = run("doctor", "check", "--bootstrap", "127.0.40.1:9092", "--resolve", "*.example.com=not-an-ip");
        assertThat(badRule.code()).isEqualTo(2);
        assertThat(badRule.err()).contains("--resolve").contains("not an IP address");
    }
}
