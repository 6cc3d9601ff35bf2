package org.distarch.spring.boot;

import java.util.Map;
import org.distarch.cli.Distarch;
import org.springframework.boot.Banner;
import org.springframework.boot.ConfigurableBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.WebApplicationType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Before the context starts: when this process is a worker the master started ({@code DA_ID} in its
 * environment), a remote relay or a short distarch command ({@code config:validate}, {@code status}, ...), the
 * application starts without its web server and without its banner, since the process prints its lines to
 * the master. {@code run-master} keeps the application as configured (its actuator then serves the fleet's
 * health). Registered in {@code META-INF/spring.factories}.
 */
public final class WorkerModeRunListener implements SpringApplicationRunListener {

    static final String SOURCE = "distarch-worker-mode";

    private final String[] args;

    /** Called by Spring Boot with the application and its arguments. */
    public WorkerModeRunListener(SpringApplication application, String[] args) {
        this.args = args == null ? new String[0] : args.clone();
        if (withoutWebServer(this.args, System.getenv("DA_ID") != null)) {
            application.setWebApplicationType(WebApplicationType.NONE);
            application.setBannerMode(Banner.Mode.OFF);
            application.setLogStartupInfo(false);
        }
    }

    /** The same as properties too, so that {@code spring.main.*} in the application's files cannot turn it on again. */
    @Override
    public void environmentPrepared(ConfigurableBootstrapContext bootstrapContext, ConfigurableEnvironment environment) {
        if (!withoutWebServer(args, System.getenv("DA_ID") != null)) {
            return;
        }
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, Map.of(
                "spring.main.web-application-type", "none",
                "spring.main.banner-mode", "off",
                "spring.main.log-startup-info", "false")));
    }

    /** A worker (started by a master), a relay or any distarch command but run-master. */
    static boolean withoutWebServer(String[] args, boolean startedByMaster) {
        if (args.length == 0 || args[0].equals("run-master")) {
            return false;
        }
        return startedByMaster || Distarch.app(WorkerModeRunListener.class).handles(args);
    }
}
