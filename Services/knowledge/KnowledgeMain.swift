import HotlineRuntime

/// The knowledge service: the knowledge base (知识库, docs/rules.md "Knowledge base"; PS §22, ZS §34,
/// PL §8(一), §21). Units draft, review, publish and withdraw their entries and the center flags
/// errors (`EntryCommands`); gateways search the entries in force (`KnowledgeQueries`); consultations
/// answered on the call record the entry they used (`ConsultationUses`). The sla-timer keeps the
/// correction deadlines.
@main
enum KnowledgeMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "knowledge", defaultHTTPPort: 8086) { runtime in
            let commands = EntryCommands(runtime: runtime, reference: runtime.reference)
            let queries = KnowledgeQueries(runtime: runtime)
            let uses = ConsultationUses(runtime: runtime)
            return [
                runtime.consumer(of: .knowledgeCommands) { delivery in await commands.handle(delivery) },
                runtime.consumer(of: .knowledgeQueries) { delivery in await queries.handle(delivery) },
                runtime.consumer(of: .knowledgeEvents) { delivery in await uses.handle(delivery) },
            ]
        }
    }
}
