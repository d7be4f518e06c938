package io.brokerlink.plan;

import io.brokerlink.core.Deployment;
import io.brokerlink.core.spec.SpecReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The repository's examples/, planned the way the CLI plans them. */
final class Examples {

    static final Path DIR = locate();

    private Examples() {
    }

    private static Path locate() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples")) && Files.exists(p.resolve("examples/aws.yaml"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/ above " + here);
    }

    static Deployment spec(String name) throws Exception {
        return SpecReader.read(DIR.resolve(name));
    }

    static PlanFiles plan(String name) throws Exception {
        return Planner.plan(spec(name), name, Map.of(), false);
    }

    static Deployment read(String text) throws Exception {
        return SpecReader.read("spec.yaml", text);
    }
}
