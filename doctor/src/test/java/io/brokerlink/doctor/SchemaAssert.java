package io.brokerlink.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Validates {@code --json} output against the documented schema, docs/doctor-schema.json. */
public final class SchemaAssert {

    private SchemaAssert() {
    }

    public static JsonNode assertValid(String json) throws Exception {
        Path schemaFile = Path.of(System.getProperty("user.dir")).resolve("../docs/doctor-schema.json").normalize();
        ObjectMapper mapper = new ObjectMapper();
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(mapper.readTree(Files.readString(schemaFile)));
        JsonNode node = mapper.readTree(json);
        Set<ValidationMessage> errors = schema.validate(node);
        assertThat(errors).as("%s against %s", json, schemaFile).isEmpty();
        return node;
    }
}
