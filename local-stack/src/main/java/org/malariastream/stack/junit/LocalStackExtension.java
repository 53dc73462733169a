package org.malariastream.stack.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.malariastream.stack.LocalStack;

/**
 * Gives tests a running Kafka broker and schema registry: declare a {@link LocalStack} parameter
 * (constructor, lifecycle or test method) in a class annotated {@code @ExtendWith(LocalStackExtension.class)}.
 * One stack serves every test class of the run and is stopped when the run ends.
 */
public final class LocalStackExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** The run-wide stack, started on first use. */
    public static LocalStack shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(StackResource.class, k -> new StackResource(LocalStack.startTemporary()), StackResource.class)
                .stack;
    }

    /** Closed by JUnit when the root context closes, i.e. at the end of the run. */
    private record StackResource(LocalStack stack) implements AutoCloseable {
        @Override
        public void close() {
            stack.close();
        }
    }
}
