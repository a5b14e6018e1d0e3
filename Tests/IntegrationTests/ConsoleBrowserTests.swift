import Foundation
import XCTest

/// The console in a real headless browser (Debian's chromium through chromedriver): a dispatcher
/// signs in, dispatches a ticket from the manual queue with the page's own form, and the dashboard
/// and the ticket's page are saved as screenshots under `.build/test-output/console/`. The pages
/// fit a 1366-pixel-wide window without scrolling sideways.
final class ConsoleBrowserTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testADispatcherSignsInAndDispatchesFromTheManualQueueInABrowser() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: nil)
            _ = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == ticketNo }
            let person = try await ConsoleEndpoint.account(h.stack, role: "dispatcher", displayName: "派单员庚")
            let output = URL(fileURLWithPath: h.stack.repoRoot).appendingPathComponent(".build/test-output/console")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            let browser = try await BrowserSession.start(
                port: h.stack.portBase + 97, logFile: output.appendingPathComponent("chromedriver.log").path)
            do {
                try await drive(browser, h: h, ticketNo: ticketNo, person: person, output: output)
            } catch {
                try? await browser.screenshot(to: output.appendingPathComponent("failure.png"))
                await browser.close()
                throw error
            }
            await browser.close()
        }
    }

    private func drive(
        _ browser: BrowserSession, h: LifecycleHarness, ticketNo: String, person: (name: String, password: String), output: URL
    ) async throws {
        let base = ConsoleEndpoint.baseURL(h.stack)
        try await browser.open(base.appendingPathComponent("queues"))
        try await browser.waitFor("#sign-in")
        try await browser.fill("#name", with: person.name)
        try await browser.fill("#password", with: person.password)
        try await browser.click("#sign-in")
        try await browser.waitFor("#who")
        let who = try await browser.text("#who")
        XCTAssertEqual(who, "派单员庚")

        try await browser.open(base.appendingPathComponent("queues/dispatch/\(ticketNo)"))
        try await browser.waitFor("select.lead")
        try await browser.select("select.lead", value: "CG")
        try await browser.click("form.decide button.primary")
        try await browser.waitFor("#outcome")
        let outcome = try await browser.text("#outcome")
        XCTAssertEqual(outcome, "已派单")
        _ = try await h.created(ticketNo, unit: "CG")

        try await browser.open(base.appendingPathComponent("dashboard"))
        try await browser.waitFor("#rates")
        try await browser.waitFor("#trend svg")
        try await expectNoSidewaysScrolling(browser, "the dashboard")
        try await browser.screenshot(to: output.appendingPathComponent("dashboard.png"))

        try await browser.open(base.appendingPathComponent("tickets/\(ticketNo)"))
        try await browser.waitFor("#timeline")
        let number = try await browser.text("#ticket-no")
        XCTAssertEqual(number, ticketNo)
        let viewers = try await browser.text("#viewers")
        XCTAssertTrue(viewers.contains(person.name), viewers)
        try await expectNoSidewaysScrolling(browser, "the ticket page")
        try await browser.screenshot(to: output.appendingPathComponent("ticket.png"))
        for name in ["dashboard.png", "ticket.png"] {
            let size = (try FileManager.default.attributesOfItem(atPath: output.appendingPathComponent(name).path)[.size] as? NSNumber)?.intValue
            XCTAssertGreaterThan(size ?? 0, 10_000, "\(name) holds a real picture")
        }
    }

    private func expectNoSidewaysScrolling(_ browser: BrowserSession, _ what: String) async throws {
        let widths = try await browser.evaluate("return [document.documentElement.scrollWidth, window.innerWidth]") as? [NSNumber]
        let scroll = widths?.first?.intValue ?? .max, window = widths?.last?.intValue ?? 0
        XCTAssertLessThanOrEqual(scroll, window, "\(what) fits a 1366-pixel window")
    }
}
