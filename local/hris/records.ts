import { bamboohrRecord, BAMBOOHR_API_FIELDS } from '#lib/domain/hris/bamboohr-record';
import { hibobRecord } from '#lib/domain/hris/hibob-record';
import { parsePersonioEmployment, parsePersonioPerson, personioRecord } from '#lib/domain/hris/personio-record';
import type { HrisSource } from '#lib/domain/events/employee-events';
import type { DirectoryEmployee, EmployeeDirectoryPort } from '#lib/domain/hris/types';
import type { LocalPerson, PeopleStore } from './people.ts';
import { bamboohrEmployee, hibobPerson, personioEmployment, personioPerson } from './vendors.ts';

/**
 * A person as the vendor client would read it: the vendor's rendering (vendors.ts) through
 * the production record reader, without HTTP. For tests and the CLI's `hris list`.
 */
export function directoryRecord(source: 'hibob' | 'bamboohr' | 'personio', person: LocalPerson): DirectoryEmployee {
  if (source === 'hibob') return hibobRecord(hibobPerson(person, 'APPEND'));
  if (source === 'bamboohr') return bamboohrRecord(bamboohrEmployee(person, BAMBOOHR_API_FIELDS));
  return personioRecord(parsePersonioPerson(personioPerson(person)), parsePersonioEmployment(personioEmployment(person), person.id));
}

/** An in-process directory port over the local HRIS's people (unit tests; the cloud uses the REST clients). */
export function peopleDirectory(people: PeopleStore): EmployeeDirectoryPort {
  return {
    getEmployee(source: HrisSource, employeeId: string) {
      if (source === 'generic') return Promise.resolve(undefined);
      const person = people.get(source, employeeId);
      return Promise.resolve(person === undefined ? undefined : directoryRecord(source, person));
    },
  };
}
