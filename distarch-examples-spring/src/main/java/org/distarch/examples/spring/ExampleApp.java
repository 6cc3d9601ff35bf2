package org.distarch.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with distarch workers. {@code java -jar app.jar run-master} runs the fleet of its
 * {@code application.yaml}; the master starts each worker as this same application, without its web server.
 */
@SpringBootApplication
public class ExampleApp {

    public static void main(String[] args) {
        SpringApplication.run(ExampleApp.class, args);
    }
}
