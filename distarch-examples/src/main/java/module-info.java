/** The demo application: it uses only distarch's public API (the build fails if it reaches further). */
module org.distarch.examples {
    requires org.distarch.cli;

    // Jackson writes and reads the Orders queue's items.
    opens org.distarch.examples to com.fasterxml.jackson.databind;
}
