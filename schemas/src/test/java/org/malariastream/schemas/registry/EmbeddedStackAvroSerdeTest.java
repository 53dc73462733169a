package org.malariastream.schemas.registry;

import org.junit.jupiter.api.extension.ExtendWith;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.LocalStackExtension;

/** The serde contract on the embedded stack: in-JVM KRaft broker and Apicurio Registry. */
@ExtendWith(LocalStackExtension.class)
class EmbeddedStackAvroSerdeTest extends AvroSerdeContract {
    private final LocalStack stack;

    EmbeddedStackAvroSerdeTest(LocalStack stack) {
        this.stack = stack;
    }

    @Override
    String bootstrapServers() {
        return stack.bootstrapServers();
    }

    @Override
    String schemaRegistryUrl() {
        return stack.schemaRegistryUrl();
    }
}
