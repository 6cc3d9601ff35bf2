package org.distarch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The system's headless Chromium driven through its chromedriver, both given explicitly (a plain
 * {@code new ChromeDriver()} would start Selenium Manager, which goes to the network), in a fresh profile that
 * is deleted at the end. One per test class: starting a browser costs a second or two.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where the tests leave their screenshots; the best are copied into docs/images by hand. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration WAIT = Duration.ofSeconds(30);

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static Browser start() throws IOException {
        Path profile = Files.createTempDirectory("distarch-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1000", "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
        return new Browser(driver, profile);
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return await(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        }, "an element " + css);
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Clicks the element, looking it up again if the page redrew it between the look-up and the click. */
    void click(String css) {
        await(d -> {
            try {
                WebElement e = d.findElement(By.cssSelector(css));
                if (!e.isDisplayed() || !e.isEnabled()) {
                    return null;
                }
                e.click();
                return true;
            } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                return null;
            }
        }, "a clickable " + css);
    }

    /**
     * Sends {@code keys} to the element once it is shown and enabled, as {@link #click} clicks: the page redraws
     * a card when its figures change, and a key sent to the card being replaced would be lost.
     */
    void keys(String css, CharSequence keys) {
        await(d -> {
            try {
                WebElement e = d.findElement(By.cssSelector(css));
                if (!e.isDisplayed() || !e.isEnabled()) {
                    return null;
                }
                e.sendKeys(keys);
                return true;
            } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException
                    | org.openqa.selenium.ElementNotInteractableException e) {
                return null;
            }
        }, "an element taking keys: " + css);
    }

    String text(String css) {
        return await(d -> {
            try {
                List<WebElement> found = d.findElements(By.cssSelector(css));
                return found.isEmpty() ? null : found.get(0).getText();
            } catch (StaleElementReferenceException e) {
                return null;
            }
        }, "the text of " + css);
    }

    /** Waits for a condition that a user would see; the message says what did not happen. */
    <T> T await(Function<WebDriver, T> condition, String what) {
        return await(condition, what, WAIT);
    }

    <T> T await(Function<WebDriver, T> condition, String what, Duration limit) {
        WebDriverWait wait = new WebDriverWait(driver, limit, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
        wait.withMessage(() -> "waited " + limit.toSeconds() + " s for " + what + " on " + driver.getCurrentUrl());
        return wait.until(condition::apply);
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    Object asyncScript(String js, Object... args) {
        return driver.executeAsyncScript(js, args);
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves a PNG of the viewport as target/screenshots/NAME.png. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A profile left in /tmp is untidy, not wrong.
            }
        }
    }
}
