package org.malariastream.launcher;

import java.nio.file.Path;

/** Where ./malaria keeps its state and the embedded stack's data: MALARIA_HOME, else .malaria in the repo. */
final class MalariaHome {
    static final String ENV = "MALARIA_HOME";

    private MalariaHome() {}

    static Path resolve() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        String repo = System.getProperty("malaria.repo.dir");
        return (repo != null ? Path.of(repo) : Path.of("")).resolve(".malaria").toAbsolutePath();
    }
}
