using Microsoft.Extensions.DependencyInjection;

namespace Rebus.Handlers
{
    /// <summary>Rebus's handler interface, by its metadata name (AuditGen references no bus): Rebus resolves it through DI.</summary>
    public interface IHandleMessages<in TMessage>
    {
        Task Handle(TMessage message);
    }
}

namespace AuditGen.Generated.Tests
{
    public sealed record TaskArchived([property: EntityId] Guid TaskId);

    public sealed record TaskReassigned([property: EntityId] Guid TaskId, [property: Actor] Guid RequestedBy);

    /// <summary>Archived tasks, what a consumer's database would be.</summary>
    public sealed class ArchiveBox
    {
        public List<Guid> Archived { get; } = [];
    }

    /// <summary>A bus consumer with no actor source: background work, recorded as the configured system actor.</summary>
    public sealed class ArchiveTaskConsumer(ArchiveBox box) : Rebus.Handlers.IHandleMessages<TaskArchived>
    {
        /// <summary>For service providers of other tests, which register no box (AddLoggedUseCases registers every consumer).</summary>
        public ArchiveTaskConsumer()
            : this(new ArchiveBox())
        {
        }

        [LogsActivity("archive_task", EntityType = "Task")]
        public Task Handle(TaskArchived message)
        {
            box.Archived.Add(message.TaskId);
            return Task.CompletedTask;
        }
    }

    /// <summary>A bus consumer whose message says who asked: its [Actor] source wins over the system actor.</summary>
    public sealed class ReassignTaskConsumer : Rebus.Handlers.IHandleMessages<TaskReassigned>
    {
        [LogsActivity("reassign_task", EntityType = "Task")]
        public Task Handle(TaskReassigned message) => Task.CompletedTask;
    }

    /// <summary>Consumers resolved through DI are decorated like use cases; their actor is never the user of some request.</summary>
    public class ConsumerTests
    {
        private static readonly Guid System = Guid.Parse("00000000-0000-4000-8000-00000000575e");
        private static readonly Guid Alice = Guid.Parse("00000000-0000-4000-8000-00000000a11c");

        private sealed class SignedIn(Guid actor) : IActorAccessor
        {
            public Guid? CurrentActorId => actor;
        }

        private static ServiceProvider Services(Guid? systemActor) => new ServiceCollection()
            .AddActivityLog(log => log.Configure(o => o.SystemActorId = systemActor))
            .AddSingleton<IActorAccessor>(new SignedIn(Alice)) // a person who did not act: never the consumer's actor
            .AddSingleton<ArchiveBox>()
            .AddTransient<Rebus.Handlers.IHandleMessages<TaskArchived>, ArchiveTaskConsumer>()
            .AddTransient<Rebus.Handlers.IHandleMessages<TaskReassigned>, ReassignTaskConsumer>()
            .AddLoggedUseCases()
            .BuildServiceProvider();

        [Fact]
        public async Task A_consumer_without_an_actor_source_records_the_configured_system_actor()
        {
            await using ServiceProvider services = Services(System);
            var taskId = Guid.NewGuid();

            await services.GetRequiredService<Rebus.Handlers.IHandleMessages<TaskArchived>>().Handle(new TaskArchived(taskId));

            ActivityRecord record = Assert.Single((await services.GetRequiredService<IActivityLogRepo>().QueryAsync(new ActivityQuery())).Items);
            Assert.Equal(("archive_task", System, System, new EntityRef("Task", taskId)), (record.Action, record.ActorId, record.OwnerId, record.EntityRef));
        }

        [Fact]
        public async Task Without_a_system_actor_the_consumer_fails_before_it_changes_anything()
        {
            await using ServiceProvider services = Services(systemActor: null);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                services.GetRequiredService<Rebus.Handlers.IHandleMessages<TaskArchived>>().Handle(new TaskArchived(Guid.NewGuid())));

            Assert.Contains("SystemActorId", error.Message);
            Assert.Empty(services.GetRequiredService<ArchiveBox>().Archived);
            Assert.Empty((await services.GetRequiredService<IActivityLogRepo>().QueryAsync(new ActivityQuery())).Items);
        }

        [Fact]
        public async Task An_actor_source_on_the_message_is_the_consumers_actor()
        {
            await using ServiceProvider services = Services(System);
            var taskId = Guid.NewGuid();

            await services.GetRequiredService<Rebus.Handlers.IHandleMessages<TaskReassigned>>().Handle(new TaskReassigned(taskId, Alice));

            ActivityRecord record = Assert.Single((await services.GetRequiredService<IActivityLogRepo>().QueryAsync(new ActivityQuery())).Items);
            Assert.Equal((Alice, new EntityRef("Task", taskId)), (record.ActorId, record.EntityRef));
        }

        [Fact]
        public void The_system_actor_is_a_real_Guid_and_only_the_pipeline_carries_it()
        {
            var options = new ActivityLogOptions();
            Assert.Throws<ArgumentException>(() => options.SystemActorId = Guid.Empty);

            var error = Assert.Throws<InvalidOperationException>(() => LoggedUseCaseRegistration.SystemActor(new InMemoryActivityLogRepo(), "archive_task"));
            Assert.Contains("'archive_task'", error.Message);
        }
    }
}
